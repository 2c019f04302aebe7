// A plugin module that throws while loading, for the PLUGIN_LOAD_FAILED tests.
throw new Error('this fixture plugin always fails to load');
