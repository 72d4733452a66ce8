import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface PipelineDashboardArgs {
  readonly dashboardName: string;
  /** CloudWatch dashboard JSON (stack/dashboard.ts builds it). */
  readonly body: pulumi.Input<string>;
}

/** The operators' dashboard. CloudWatch dashboards take no tags, so there are none to set. */
export class PipelineDashboard extends pulumi.ComponentResource {
  public readonly dashboard: aws.cloudwatch.Dashboard;

  constructor(name: string, args: PipelineDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super('transaction-processor:operations:PipelineDashboard', name, {}, opts);
    this.dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      { dashboardName: args.dashboardName, dashboardBody: args.body },
      { parent: this },
    );
    this.registerOutputs({ dashboardName: args.dashboardName });
  }
}
