/**
 * CDK entry: one `VisionProgress-<STATE>` stack per state config in infra/config/, or one with `-c state=OH`.
 * cdk-nag's AwsSolutions pack checks every stack at synth.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadStateConfig, loadStateConfigs } from './config/index';
import { stackName, VisionProgressStack } from './stack';

export function buildApp(app: App = new App()): App {
  const only = app.node.tryGetContext('state') as string | undefined;
  const regionOverride = app.node.tryGetContext('region') as string | undefined;
  const configs = only ? [loadStateConfig(only)] : loadStateConfigs();
  for (const config of configs) {
    const region = regionOverride ?? config.aws.region;
    new VisionProgressStack(app, stackName(config.stateCode), {
      config,
      env: config.aws.account ? { account: config.aws.account, region } : { region },
      description: `Vision Progress for ${config.name} (${config.stateCode})`,
      terminationProtection: config.stateCode !== 'XX',
    });
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildApp().synth();
}
