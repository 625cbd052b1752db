import { DEFAULT_TIMEOUT_MS } from '@crosscheck/checks';
console.log('crosscheck cli placeholder', DEFAULT_TIMEOUT_MS);
