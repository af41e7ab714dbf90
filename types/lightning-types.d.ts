// Pulls in Salesforce's published types for lightning/* base components and @salesforce/user etc.
import '@salesforce/lightning-types';
