export { abortError, systemClock, type Clock } from './clock';
export { FakeClock } from './fake-clock';
