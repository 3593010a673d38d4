/**
 * crmkit: turn business events into correct, deduplicated, audited CRM state.
 * @module
 */
export {
  actionFor,
  type ClassifyOptions,
  ContractError,
  type ContractErrorJSON,
  type ContractIssue,
  CRM_ERROR_REASONS,
  CrmError,
  type CrmErrorAction,
  type CrmErrorJSON,
  type CrmErrorOptions,
  type CrmErrorReason,
  classify,
  contractIssue,
  isContractError,
  isCrmError,
  isCrmErrorReason,
  isSecretKey,
  REASON_ACTIONS,
  REDACTED,
  type RedactOptions,
  reasonForStatus,
  redact,
  redactHeaders,
  redactString,
  redactUrl,
} from "./errors/index.js";
export { type Clock, systemClock } from "./internal/clock.js";
