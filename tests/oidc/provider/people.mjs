// The test council's people, shared with the Python tests (people.json).
import { readFileSync } from 'node:fs';

const data = JSON.parse(readFileSync(new URL('./people.json', import.meta.url), 'utf8'));
export const { people: PEOPLE, home_tenant: HOME_TENANT, foreign_tenant: FOREIGN_TENANT } = data;
