module.exports = require('../../jest.preset').projectsFor(__dirname);
