/** A Lambda function with our conventions fixed: Node 22, arm64, its own log group and role. */
import { Duration, RemovalPolicy } from 'aws-cdk-lib'
import type { ITable } from 'aws-cdk-lib/aws-dynamodb'
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam'
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda'
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs'
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs'
import type { Construct } from 'constructs'

/** A single DynamoDB API action, spelled out: `dynamodb:GetItem`, never a wildcard. */
export type DynamoDbAction = `dynamodb:${string}`

export interface HomecomingFunctionProps {
  /** Absolute path of the handler module; it must export `handler`. */
  readonly entry: string
  readonly description: string
  readonly memorySize: number
  readonly timeout: Duration
  readonly environment?: Record<string, string>
  /**
   * Shell commands run after bundling, each given the repository root and the bundle's folder: for files
   * the handler reads at run time (the web client, which Lambda cannot build itself).
   */
  readonly afterBundling?: (inputDir: string, outputDir: string) => string[]
}

// A bundle that imports CommonJS dependencies from ESM output needs a real `require`.
const esmRequireShim =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"

const singleAction = /^dynamodb:[A-Za-z]+$/

export class HomecomingFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: HomecomingFunctionProps) {
    // Created before super() so the function can be born with them; they sit beside it in `scope`.
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: RetentionDays.ONE_MONTH,
      // Logs expire after a month anyway; the table is the data worth keeping.
      removalPolicy: RemovalPolicy.DESTROY,
    })
    // Our own role instead of the default one, which carries AWSLambdaBasicExecutionRole
    // (logs:* on every log group): this one may write to its own log group and nothing else.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${id} function`,
    })
    logGroup.grantWrite(role)

    super(scope, id, {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role,
      logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: {
        // esbuild is a devDependency, so CDK bundles in-process; never fall back to Docker.
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: esmRequireShim,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the AWS SDK too, so Lambda runs the version the tests ran against.
        externalModules: [],
        ...(props.afterBundling
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: props.afterBundling,
              },
            }
          : {}),
      },
    })
  }

  /** Passes the table name as `TABLE_NAME` and allows exactly `actions` on the table. */
  bindTable(table: ITable, actions: readonly DynamoDbAction[]): this {
    if (actions.length === 0 || !actions.every((action) => singleAction.test(action))) {
      const got = `[${actions.join(', ')}]`
      throw new Error(`bindTable(${this.node.id}): expected named DynamoDB actions, got ${got}`)
    }
    this.addEnvironment('TABLE_NAME', table.tableName)
    table.grant(this, ...actions)
    return this
  }
}
