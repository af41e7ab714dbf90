// Entry of `/preview/setup`: the package's Relay Setup app page (c-relay-setup).
import { startShell } from './shell.js';
import { createElement } from 'lwc';
import RelaySetup from 'c/relaySetup';

const config = startShell();
const element = createElement('c-relay-setup', { is: RelaySetup });
if (config.initialTab) Object.assign(element, { initialTab: config.initialTab });
document.getElementById('relay-setup')?.appendChild(element);
