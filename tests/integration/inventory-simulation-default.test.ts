/** The seeded simulation in default-location stock mode (tests/support/inventory-simulation.ts). */
import { simulationSuite } from '../support/inventory-simulation-suite';

simulationSuite('default-location');
