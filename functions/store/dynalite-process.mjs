// The embedded store's own process (embedded-dynamo.ts): dynalite, its request parsing and LevelDB off the server's event loop.
import dynalite from 'dynalite'

const { path, port } = JSON.parse(process.argv[2])
// table state changes at once (the *TableMs options at 0): nothing waits out dynalite's 500 ms CREATING phase
const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
// listen reports a busy port through 'error', never through its callback
server.once('error', (error) => {
  process.send({ error: error.message })
  process.exit(1)
})
server.listen(port, '127.0.0.1', () => process.send({ port: server.address().port }))
// the server closed us or died (kill -9 included, the channel goes with it): stop, releasing LevelDB's lock for its next start
process.on('disconnect', () => process.exit(0))
