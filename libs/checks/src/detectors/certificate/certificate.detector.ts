import type { Detector } from '../../context/evaluation-context';

/**
 * Certificates expiring within the monitor's warning window make the verdict degraded: the site
 * works today, and someone must act before it stops. An expired certificate is down (reached only
 * with verification off; otherwise the probe already failed with `tls_error`).
 */
export const certificateDetector: Detector = (context) => {
  const tls = context.observation.tls;
  if (!tls) return [];
  const warningDays = context.spec.tls.expiryWarningDays;
  if (tls.daysRemaining > warningDays) return [];
  const expired = tls.daysRemaining < 0;
  return [
    {
      code: 'cert_expiring',
      severity: expired ? 'down' : 'degraded',
      message: expired
        ? `certificate for ${tls.subject} expired ${-tls.daysRemaining} days ago (${tls.validTo})`
        : `certificate for ${tls.subject} expires in ${tls.daysRemaining} days (${tls.validTo}), within the ${warningDays}-day warning window`,
      evidence: {
        subject: tls.subject,
        issuer: tls.issuer,
        validTo: tls.validTo,
        daysRemaining: tls.daysRemaining,
        expiryWarningDays: warningDays,
        altNames: tls.altNames.slice(0, 20),
      },
    },
  ];
};
