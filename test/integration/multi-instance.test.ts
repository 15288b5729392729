import { BROKERS } from '../support/brokers.js';
import { describeThreeInstances } from './multi-instance.suite.js';

for (const broker of BROKERS) await describeThreeInstances(broker);
