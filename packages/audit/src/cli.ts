import { runVerifyCli } from './verify-cli';

// `npm run audit:verify -- --mongo-url mongodb://127.0.0.1:27018 --db sanad_placement`
void runVerifyCli(process.argv.slice(2), process.env, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then((status) => {
  process.exitCode = status;
});
