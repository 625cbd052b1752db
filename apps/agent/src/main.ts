import { DEFAULT_TIMEOUT_MS } from '@crosscheck/checks';
console.log('crosscheck agent placeholder', DEFAULT_TIMEOUT_MS);
