export {
  buildLabReport,
  type LabReport,
  type LabReportInput,
  type ReportProfile,
  type ReportScreenshot,
} from './build-report';
