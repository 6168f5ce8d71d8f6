/** The one Homecoming stack: the run table, the public API and the shard worker it fans out to. */
import { fileURLToPath } from 'node:url'
import {
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
  type StackProps,
} from 'aws-cdk-lib'
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb'
import { FunctionUrlAuthType, HttpMethod } from 'aws-cdk-lib/aws-lambda'
import type { Construct } from 'constructs'
import { HomecomingFunction, type DynamoDbAction } from './homecoming-function'

// 1769 MB is the size at which Lambda allocates one full vCPU; the simulation is CPU-bound.
const oneVcpuMemory = 1769

// 29 s, not 60: the API answers reads and starts runs (shards go to the worker, results are
// polled), so no request should run long. The cap bounds what one anonymous request can cost,
// and fits the 29 s API Gateway and 30 s CloudFront defaults should either front it later.
const apiTimeout = Duration.seconds(29)
const workerTimeout = Duration.seconds(120)

// Least privilege: only what each handler calls. No Scan, no DeleteItem, no wildcards.
const apiTableActions: DynamoDbAction[] = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:Query',
]
const workerTableActions: DynamoDbAction[] = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:GetItem',
]

/** The Lambda entries sit in app/, above the handlers and the web pages they compose. */
const handlerEntry = (name: 'api' | 'shard') =>
  fileURLToPath(new URL(`../app/${name}-lambda.ts`, import.meta.url))

export class HomecomingStack extends Stack {
  readonly table: Table
  readonly api: HomecomingFunction
  readonly worker: HomecomingFunction

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props)

    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      sortKey: { name: 'SK', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
      // runs, their shards and kept iterations carry their expiry (epoch seconds; functions/store/dynamo-store.ts
      // EXPIRES_AT): DynamoDB deletes them itself. Saved scenarios carry none and are kept for ever.
      timeToLiveAttribute: 'expiresAt',
    })

    this.worker = new HomecomingFunction(this, 'ShardWorker', {
      entry: handlerEntry('shard'),
      description: 'Runs one shard of a Monte Carlo run and stores its mergeable summary',
      memorySize: oneVcpuMemory,
      timeout: workerTimeout,
    }).bindTable(this.table, workerTableActions)

    this.api = new HomecomingFunction(this, 'Api', {
      entry: handlerEntry('api'),
      description: 'Public read/run API: lists scenarios, starts runs, serves merged results',
      memorySize: oneVcpuMemory,
      timeout: apiTimeout,
      environment: { SHARD_FUNCTION_NAME: this.worker.functionName, HOMECOMING_CLIENT_DIR: '/var/task/client' },
      // the page's client bundle, built here with esbuild: Lambda serves the files, it cannot build them
      afterBundling: (inputDir, outputDir) => [
        `cd "${inputDir}" && node --import tsx web/build-client.ts "${outputDir}/client"`,
      ],
    }).bindTable(this.table, apiTableActions)
    // The API invokes the worker by its unqualified name, so the unqualified ARN is all it needs
    // (grantInvoke would add `<arn>:*` for every version and alias).
    this.worker.grantInvokeLatestVersion(this.api)

    // Public on purpose: anyone may list scenarios and run them, and nothing behind the URL is
    // private. What one caller can spend is bounded by the API's timeout and by the run-size
    // limits the handler must enforce, not by IAM auth, which a browser page could not sign.
    const apiUrl = this.api.addFunctionUrl({
      authType: FunctionUrlAuthType.NONE,
      cors: {
        allowedOrigins: ['*'],
        allowedMethods: [HttpMethod.GET, HttpMethod.POST],
        allowedHeaders: ['content-type'],
        maxAge: Duration.hours(1),
      },
    })

    // cdk-nag 3 reads acknowledgements from CDK's Validations metadata (NagSuppressions is gone).
    for (const fn of [this.api, this.worker]) {
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          'Node.js 22 is pinned on purpose: the handlers are built and tested against it, ' +
          'and moving to a newer runtime is a deliberate upgrade, not a drift.',
      })
    }

    new CfnOutput(this, 'ApiUrl', { value: apiUrl.url })
    new CfnOutput(this, 'TableName', { value: this.table.tableName })
  }
}
