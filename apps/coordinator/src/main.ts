import { DEFAULT_TIMEOUT_MS } from '@crosscheck/checks';
console.log('crosscheck coordinator placeholder', DEFAULT_TIMEOUT_MS);
