#!/usr/bin/env node
/**
 * `node apps/agent/dist/acl/write-acl-file.js <path>`: writes the Redis ACL file of a deployment
 * (one user per region's agents, the coordinator's, the default user off) from the environment;
 * see `aclFileFromEnvironment`. `docker-compose.yml` runs it before Redis starts.
 */
import { writeFileSync } from 'node:fs';
import { AclFileConfigError, aclFileFromEnvironment } from './acl-file';

function main(): void {
  const path = process.argv[2];
  if (path === undefined || process.argv.length > 3) {
    process.stderr.write('usage: write-acl-file <path>\n');
    process.exit(2);
  }
  let text: string;
  try {
    text = aclFileFromEnvironment(process.env);
  } catch (error) {
    if (!(error instanceof AclFileConfigError)) throw error;
    process.stderr.write(`write-acl-file: ${error.message}\n`);
    process.exit(1);
  }
  // Readable by the Redis server's own user (another uid); the passwords in it are hashes.
  writeFileSync(path, text, { mode: 0o644 });
  process.stdout.write(`write-acl-file: ${text.split('\n').filter(Boolean).length} users written to ${path}\n`);
}

main();
