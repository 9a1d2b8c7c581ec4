// Loopback stand-ins for the SMS providers' APIs (see src/modules/notifications/sms/README.md).
export { startBrevoStub, type BrevoStub, type BrevoStubOptions } from './brevo-stub.js';
export { startCleverStub, type CleverStub, type CleverStubOptions } from './clever-stub.js';
export { startNetsizeStub, type NetsizeStub, type NetsizeStubOptions } from './netsize-stub.js';
export { startOrangeContactEveryoneStub, type OrangeContactEveryoneStub, type OrangeContactEveryoneStubOptions } from './orange-contact-everyone-stub.js';
export { startMail2SmsStub, type Mail2SmsReceived, type Mail2SmsStub } from './sfr-mail2sms-stub.js';
export { startSmsFactorStub, type SmsFactorReceived, type SmsFactorReportToPost, type SmsFactorStub, type SmsFactorStubOptions } from './smsfactor-stub.js';
export type { RecordedRequest, StubFailureMode, StubServer } from './stub-server.js';
export { rejectionOf } from './rejection-of.js';
