/** The logger interface lives in the transport core; kept here so existing imports keep working. */
export { SILENT_LOGGER, type Logger } from '../transport/logger';
