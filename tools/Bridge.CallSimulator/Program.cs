using Bridge.CallSimulator.Cli;

return await BridgeCallCommandLine.RunAsync(args);
