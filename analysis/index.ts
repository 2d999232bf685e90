export { wilson, formatRate, type Rate } from './rates.js';
export { runStudy, DEFAULT_STUDY, type StudyDesign, type StudyCell, type StudyResult } from './study.js';
