// The expectation kinds live in `expectations/`, one module each; the compiled spec holds them.
export type { Expectation, ExpectationKind } from '../expectations/expectation';
