import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { tagsFor } from '../tags';

export interface MerchantKeysArgs {
  readonly merchants: readonly string[];
  /** The physical name of a merchant's key (naming.ts computes it). */
  readonly keyName: (merchantId: string) => string;
}

export interface MerchantKey {
  readonly merchantId: string;
  readonly apiKey: aws.apigateway.ApiKey;
}

/**
 * One API Gateway API key per merchant. Created before the API function because the function needs
 * the key-id-to-merchant map: the merchant of a request is the key's merchant, never a body field.
 */
export class MerchantKeys extends pulumi.ComponentResource {
  public readonly keys: readonly MerchantKey[];
  /** JSON `{ "<api key id>": "<merchant id>" }` for the API function's environment. */
  public readonly merchantByKeyId: pulumi.Output<string>;

  constructor(name: string, args: MerchantKeysArgs, opts?: pulumi.ComponentResourceOptions) {
    super('transaction-processor:api:MerchantKeys', name, {}, opts);
    this.keys = args.merchants.map((merchantId) => {
      const keyName = args.keyName(merchantId);
      const apiKey = new aws.apigateway.ApiKey(
        `${name}-${merchantId}`,
        {
          name: keyName,
          description: `API key of merchant ${merchantId}`,
          enabled: true,
          tags: tagsFor(keyName),
        },
        { parent: this },
      );
      return { merchantId, apiKey };
    });
    this.merchantByKeyId = pulumi
      .all(this.keys.map((k) => k.apiKey.id))
      .apply((ids) => JSON.stringify(Object.fromEntries(ids.map((id, i) => [id, this.keys[i].merchantId]))));
    this.registerOutputs({ keyIds: this.keys.map((k) => k.apiKey.id) });
  }
}
