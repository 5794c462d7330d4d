/** Every workspace's tests in one run (see jest.preset.js); each workspace also has its own config. */
module.exports = require('./jest.preset').projectsFor(__dirname);
