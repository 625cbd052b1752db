export { authWallDetector } from './auth-wall.detector';
export { matchLoginUrl, type LoginUrlMatch } from './login-url';
export { findLoginForm } from './login-form';
