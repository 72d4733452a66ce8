/**
 * Entry point of the CrossGuard pack. The Pulumi CLI runs the compiled bin/index.js through
 * `@pulumi/pulumi/cmd/run-policy-pack`; constructing the PolicyPack starts the Analyzer gRPC server
 * and prints its port on stdout. The version comes from policies/package.json.
 */
import { PolicyPack } from '@pulumi/policy';
import { catalog, PACK_NAME } from './catalog';

new PolicyPack(PACK_NAME, {
  displayName: 'transaction-processor controls',
  description:
    'Mandatory and advisory controls for the transaction-processor stack, mapped to PCI DSS v4.0.1, AWS FSBP and CIS AWS Foundations v3.0.0.',
  provider: 'aws',
  tags: ['aws', 'pci-dss', 'serverless'],
  enforcementLevel: 'mandatory',
  policies: catalog.map((p) => p.policy),
});
