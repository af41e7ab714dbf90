// The shared cases of staticresources/RelayRuleCases.json, typed: the same file the Apex test
// RelayRuleCases_Tests reads in an org, so a case both languages must decide alike is written once.
import cases from '../../staticresources/RelayRuleCases.json';

export interface SettingCase {
  input: string;
  /** The canonical text Value__c gets when the input is accepted. */
  stored?: string;
  /** The message the input is refused with. */
  refused?: string;
}

export interface SettingCases {
  setting: {
    developerName: string;
    label: string;
    type: string;
    /** Choices__c as the record holds it. */
    choices: string | null;
    minimum: number | null;
    maximum: number | null;
  };
  cases: SettingCase[];
}

export interface MappingValues {
  developerName: string | null;
  platformField: string | null;
  targetObject: string | null;
  targetField: string | null;
  direction: string | null;
  valueMap?: Record<string, string> | null;
  active?: boolean;
  isMatchField?: boolean;
}

export interface CampaignLinkValues {
  listId: string;
  campaignId: string;
  memberStatus: string | null;
  active: boolean;
}

export interface RuleCases {
  settings: SettingCases[];
  mappingJson: Array<{ description: string; json: string; refused?: string; parsed?: MappingValues[] }>;
  developerNames: Array<{ targetObject: string | null; targetField: string | null; taken: string[]; name: string }>;
  mappingShapes: Array<{
    description: string;
    recordMode: string;
    mappings: MappingValues[];
    developerNames: string[];
    problems: string[];
  }>;
  /** A set of links to save → the problems c/campaignLinkRules and ListCampaignLinkModel find. */
  campaignLinks: Array<{ description: string; links: CampaignLinkValues[]; problems: string[] }>;
}

export const RULE_CASES: RuleCases = cases;
