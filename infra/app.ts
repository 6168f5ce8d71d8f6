/** CDK entry point: one env-agnostic Homecoming stack, checked by cdk-nag's AwsSolutions pack. */
import { App, Validations } from 'aws-cdk-lib'
import { AwsSolutionsChecks } from 'cdk-nag'
import { HomecomingStack } from './stack'

const app = new App()
// No `env`: the template synthesizes without an account or region, and so without AWS access.
new HomecomingStack(app, 'Homecoming', {
  description: 'Homecoming: serverless Monte Carlo return and reintegration policy simulator',
})
// cdk-nag 3 is a synth-time validation plugin, not an Aspect: any finding fails the synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }))
