/** The seeded simulation in aggregated stock mode (tests/support/inventory-simulation.ts). */
import { simulationSuite } from '../support/inventory-simulation-suite';

simulationSuite('aggregated');
