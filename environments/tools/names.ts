export { agentIdByName, displayName } from '../world/names.js';
