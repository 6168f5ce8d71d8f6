/** Assertion tests for the Homecoming stack: resources, least privilege, a clean cdk-nag run. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { App, Validations, type CfnElement } from 'aws-cdk-lib'
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions'
import type { IConstruct } from 'constructs'
import { AwsSolutionsChecks } from 'cdk-nag'
import { describe, expect, it } from 'vitest'
import { HomecomingStack } from './stack'

// The feature flags `cdk synth` uses, so the stack under test is the one that gets deployed.
const cdkJson = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8'))
const newApp = () => new App({ context: cdkJson.context })

// Synthesizing bundles both handlers with esbuild, so the template is built once for the file.
const stack = new HomecomingStack(newApp(), 'Homecoming')
const template = Template.fromStack(stack)
const resources: Record<string, { Properties: Record<string, any> }> = template.toJSON().Resources

const logicalId = (construct: IConstruct) =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement)
const apiId = logicalId(stack.api)
const workerId = logicalId(stack.worker)
const tableId = logicalId(stack.table)
const tableArn = { 'Fn::GetAtt': [tableId, 'Arn'] }

interface Statement {
  Action: string | string[]
  Effect: string
  Resource: unknown
}

const statementsOf = (functionId: string): Statement[] => {
  const roleId = resources[functionId].Properties.Role['Fn::GetAtt'][0]
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: roleId }] },
  })
  return Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement)
}
const actionsOf = (statement: Statement) => [statement.Action].flat()
const resourcesOf = (statement: Statement) => [statement.Resource].flat()
/** The statements of a function's role that name actions of one service, e.g. `dynamodb`. */
const serviceStatementsOf = (functionId: string, service: string) =>
  statementsOf(functionId).filter((s) => actionsOf(s).some((a) => a.startsWith(`${service}:`)))
const dynamoDbActionsOf = (functionId: string) =>
  serviceStatementsOf(functionId, 'dynamodb').flatMap(actionsOf).sort()

describe('HomecomingStack', () => {
  it('keeps runs in one retained PK/SK table, on demand, with point-in-time recovery', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1)
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'PK', AttributeType: 'S' },
          { AttributeName: 'SK', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        // AWS-managed key (aws/dynamodb), not a customer key and not the AWS-owned default.
        SSESpecification: { SSEEnabled: true, KMSMasterKeyId: Match.absent() },
        // the store's expiry attribute: runs and kept iterations expire, saved scenarios carry none
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      },
    })
  })

  it('runs both functions on Node 22, arm64, one full vCPU, without reserved concurrency', () => {
    template.resourceCountIs('AWS::Lambda::Function', 2)
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 1769,
      Handler: 'index.handler',
      ReservedConcurrentExecutions: Match.absent(),
    })
    expect(resources[apiId].Properties.Timeout).toBe(29)
    expect(resources[workerId].Properties.Timeout).toBe(120)
  })

  it('gives each function its own log group with a retention', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 2)
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 })
    const logGroupOf = (functionId: string) =>
      resources[functionId].Properties.LoggingConfig.LogGroup.Ref
    expect(logGroupOf(apiId)).toBe(logicalId(stack.api.logGroup))
    expect(logGroupOf(workerId)).toBe(logicalId(stack.worker.logGroup))
  })

  it('exposes the API, and only the API, through a public Function URL for GET and POST', () => {
    template.resourceCountIs('AWS::Lambda::Url', 1)
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [apiId, 'Arn'] },
      Cors: { AllowMethods: ['GET', 'POST'], AllowOrigins: ['*'] },
    })
  })

  it('passes TABLE_NAME to both functions and SHARD_FUNCTION_NAME to the API', () => {
    const environmentOf = (functionId: string) =>
      resources[functionId].Properties.Environment.Variables
    expect(environmentOf(apiId)).toMatchObject({
      TABLE_NAME: { Ref: tableId },
      SHARD_FUNCTION_NAME: { Ref: workerId },
    })
    expect(environmentOf(workerId)).toMatchObject({ TABLE_NAME: { Ref: tableId } })
    expect(environmentOf(workerId)).not.toHaveProperty('SHARD_FUNCTION_NAME')
  })

  it('ships the web client, pre-built, inside the API bundle and points the API at it', () => {
    expect(resources[apiId].Properties.Environment.Variables.HOMECOMING_CLIENT_DIR).toBe('/var/task/client')
    const assembly = stack.node.root as App
    // the code asset's key is its hash; the bundle sits in asset.<hash> of the cloud assembly
    const hash = String(resources[apiId].Properties.Code.S3Key).replace(/\.zip$/, '')
    const bundle = join(assembly.outdir, `asset.${hash}`)
    const manifest = JSON.parse(readFileSync(join(bundle, 'client', 'manifest.json'), 'utf8'))
    expect(Object.keys(manifest).length).toBeGreaterThan(0)
  })

  it('lets the API invoke the worker and nothing else', () => {
    const invokes = serviceStatementsOf(apiId, 'lambda')
    expect(invokes.flatMap(actionsOf)).toEqual(['lambda:InvokeFunction'])
    for (const resource of invokes.flatMap(resourcesOf)) {
      const arn = JSON.stringify(resource)
      expect(arn).toContain(JSON.stringify({ 'Fn::GetAtt': [workerId, 'Arn'] }))
      expect(arn).not.toContain('*')
    }
    expect(serviceStatementsOf(workerId, 'lambda')).toEqual([])
  })

  it('grants the API exactly GetItem, PutItem, UpdateItem and Query on the table', () => {
    expect(dynamoDbActionsOf(apiId)).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ])
  })

  it('grants the worker exactly GetItem, PutItem and UpdateItem on the table', () => {
    expect(dynamoDbActionsOf(workerId)).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ])
  })

  it('scopes every table grant to the table ARN alone, and nothing to a wildcard', () => {
    for (const functionId of [apiId, workerId]) {
      const statements = statementsOf(functionId)
      for (const statement of serviceStatementsOf(functionId, 'dynamodb')) {
        expect(resourcesOf(statement)).toEqual([tableArn])
      }
      for (const action of statements.flatMap(actionsOf)) expect(action).not.toContain('*')
      expect(JSON.stringify(statements)).not.toMatch(/"\*"|index\/\*/)
    }
  })

  it('writes logs through its own role instead of AWSLambdaBasicExecutionRole', () => {
    template.resourceCountIs('AWS::IAM::Role', 2)
    template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() })
    for (const functionId of [apiId, workerId]) {
      const logWrites = serviceStatementsOf(functionId, 'logs')
      const actions = logWrites.flatMap(actionsOf).sort()
      expect(actions).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents'])
      const logGroupId = resources[functionId].Properties.LoggingConfig.LogGroup.Ref
      expect(logWrites.flatMap(resourcesOf)).toEqual([{ 'Fn::GetAtt': [logGroupId, 'Arn'] }])
    }
  })

  it('refuses wildcard or empty action lists in bindTable', () => {
    expect(() => stack.api.bindTable(stack.table, ['dynamodb:*'])).toThrow(/named DynamoDB actions/)
    expect(() => stack.api.bindTable(stack.table, [])).toThrow(/named DynamoDB actions/)
  })

  it('synthesizes without CDK warnings or errors', () => {
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([])
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([])
  })
})

describe('cdk-nag AwsSolutions', () => {
  // cdk-nag 3 is a validation plugin, not an Aspect, and reports through CDK's validation report
  // instead of annotations; acknowledgements are `Validations.of(construct).acknowledge(...)`.
  const acknowledgementsIn = (scope: IConstruct) =>
    scope.node
      .findAll()
      .flatMap((construct) =>
        construct.node.metadata
          .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((entry) => Object.keys(entry.data as object))
          .map((id) => `${construct.node.path} ${id.replace(/^annotation::/i, '')}`),
      )
      .sort()

  it('finds nothing, errors or warnings, in a fresh app synthesized with the pack', () => {
    const app = newApp()
    const checked = new HomecomingStack(app, 'Homecoming')
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }))

    // An error-level finding makes synth throw with the report; a warning only lands in the
    // report file once anything is acknowledged, so the file and the pack are checked as well.
    const assembly = app.synth()
    const reportFile = join(assembly.directory, 'validation-report.json')
    const report = JSON.parse(readFileSync(reportFile, 'utf8'))
    expect(report.pluginReports).toEqual([])

    const direct = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(checked)
    expect(direct.violations).toEqual([])
  })

  it('acknowledges only AwsSolutions-L1 (Node 22 pinned), on the two functions', () => {
    expect(acknowledgementsIn(stack)).toEqual([
      'Homecoming/Api AwsSolutions-L1',
      'Homecoming/ShardWorker AwsSolutions-L1',
    ])
  })
})
