using Bridge.Emulator;

return await EmulatorProgram.RunAsync(args);
