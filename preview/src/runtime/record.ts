// Entry of `/preview/record/<id>`: the package's record sidebar (c-engagement-sidebar) in the
// right column of a record page, with recordId and objectApiName set as the record page sets them.
import { startShell } from './shell.js';
import { createElement } from 'lwc';
import EngagementSidebar from 'c/engagementSidebar';

const config = startShell();
const element = createElement('c-engagement-sidebar', { is: EngagementSidebar });
Object.assign(element, { recordId: config.recordId, objectApiName: config.objectApiName });
document.getElementById('relay-sidebar')?.appendChild(element);
