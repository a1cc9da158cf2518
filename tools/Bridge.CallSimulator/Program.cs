using System.CommandLine;
using Bridge.CallSimulator.Cli;

var root = new RootCommand(
    "bridge-call: a call simulator that behaves like Twilio, for running and testing the bridge without a Twilio account. " +
    "'call' places one call; 'load' places many at once against a local system and measures latency and loss.")
{
    CallCommand.Create(),
    LoadCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
