/**
 * AWS resource types served by pulumi-aws's Terraform plugin-framework provider (tagged ones only).
 * pulumi-aws muxes two upstream providers: the Terraform SDKv2 one and the plugin-framework one.
 * Its Check adds `tagsAll` only for the SDKv2 resources ("only process sdkv2 resources. pf resources
 * are fine", applyTagsPreCheckCallback in
 * https://github.com/pulumi/pulumi-aws/blob/master/provider/tags.go); a plugin-framework resource
 * computes `tags_all` later, in its plan, so a preview's Analyze call does not have it.
 *
 * Which provider serves a type is the `mux.resources` table of pulumi-aws's
 * provider/cmd/pulumi-resource-aws/runtime-bridge-metadata.json (0 = SDKv2, 1 = plugin framework),
 * embedded in the provider binary, not in the @pulumi/aws npm package. The only copy readable
 * offline here is a pulumi-aws v6 snapshot (commit 00ba5ea53c2548fd367776345b7c52f191ce1372): these
 * are its index-1 types whose @pulumi/aws 7.48.0 class has an output-only `tagsAll`. Upstream
 * migrates resources from SDKv2 to the plugin framework, not back, so these are still served by it;
 * types added or migrated since are recognised by their `timeouts` input (provider-check.ts).
 */
export const PLUGIN_FRAMEWORK_TAGGED_TYPES: ReadonlySet<string> = new Set([
  'aws:appconfig/environment:Environment',
  'aws:appfabric/appBundle:AppBundle',
  'aws:auditmanager/assessment:Assessment',
  'aws:auditmanager/control:Control',
  'aws:auditmanager/framework:Framework',
  'aws:codeguruprofiler/profilingGroup:ProfilingGroup',
  'aws:eks/podIdentityAssociation:PodIdentityAssociation',
  'aws:globalaccelerator/crossAccountAttachment:CrossAccountAttachment',
  'aws:guardduty/malwareProtectionPlan:MalwareProtectionPlan',
  'aws:resourceexplorer/view:View',
  'aws:s3/directoryBucket:DirectoryBucket',
  'aws:s3control/accessGrant:AccessGrant',
  'aws:s3control/accessGrantsInstance:AccessGrantsInstance',
  'aws:s3control/accessGrantsLocation:AccessGrantsLocation',
  'aws:securityhub/automationRule:AutomationRule',
  'aws:servicecatalog/appregistryApplication:AppregistryApplication',
  'aws:ssm/contactsRotation:ContactsRotation',
  'aws:ssoadmin/application:Application',
  'aws:ssoadmin/trustedTokenIssuer:TrustedTokenIssuer',
  'aws:verifiedpermissions/policyStore:PolicyStore',
  'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule',
  'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
  'aws:amp/scraper:Scraper',
  'aws:appfabric/appAuthorization:AppAuthorization',
  'aws:batch/jobQueue:JobQueue',
  'aws:bcmdata/export:Export',
  'aws:bedrock/agentAgent:AgentAgent',
  'aws:bedrock/agentAgentAlias:AgentAgentAlias',
  'aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase',
  'aws:bedrock/customModel:CustomModel',
  'aws:bedrock/provisionedModelThroughput:ProvisionedModelThroughput',
  'aws:cloudfront/keyValueStore:KeyValueStore',
  'aws:datazone/domain:Domain',
  'aws:docdb/elasticCluster:ElasticCluster',
  'aws:drs/replicationConfigurationTemplate:ReplicationConfigurationTemplate',
  'aws:ec2/capacityBlockReservation:CapacityBlockReservation',
  'aws:ec2transitgateway/instanceConnectEndpoint:InstanceConnectEndpoint',
  'aws:elasticache/serverlessCache:ServerlessCache',
  'aws:fms/resourceSet:ResourceSet',
  'aws:lex/v2modelsBot:V2modelsBot',
  'aws:m2/application:Application',
  'aws:m2/environment:Environment',
  'aws:opensearch/serverlessCollection:ServerlessCollection',
  'aws:opensearchingest/pipeline:Pipeline',
  'aws:paymentcryptography/key:Key',
  'aws:quicksight/namespace:Namespace',
  'aws:quicksight/vpcConnection:VpcConnection',
  'aws:rekognition/collection:Collection',
  'aws:rekognition/project:Project',
  'aws:securitylake/dataLake:DataLake',
  'aws:securitylake/subscriber:Subscriber',
  'aws:workspaces/connectionAlias:ConnectionAlias',
]);
