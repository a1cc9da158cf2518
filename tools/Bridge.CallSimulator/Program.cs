using System.CommandLine;
using Bridge.CallSimulator.Cli;

var root = new RootCommand(
    "bridge-call: a call simulator that behaves like Twilio, for running and testing the bridge without a Twilio account. " +
    "'call' places one call; 'outbound' has a local api place one and shows what its operator receives; " +
    "'load' places many at once against a local system and measures latency and loss.")
{
    CallCommand.Create(),
    OutboundCommand.Create(),
    LoadCommand.Create(),
}.WithExamples(
    "(bridge-call is 'dotnet run --project tools/Bridge.CallSimulator --' from the repository root)",
    "dotnet run --project Bridge.AppHost",
    "    First, in another terminal: the system, with the Nova Sonic emulator when there is no AWS account.",
    "bridge-call call",
    "    One call to it, as Twilio would place it; a summary of what the caller heard.",
    "bridge-call outbound",
    "    An outbound call the local api places: the signed outcome and conversation its operator receives.",
    "bridge-call call --help",
    "    Everything a call can do: other audio, keypad presses, a worse line, another bridge.",
    "scripts/load-test.sh 100 45s 15s",
    "    A load test of one worker: 100 calls, round-trip latency and lost frames.").ShowingExamples();

return await root.Parse(args).InvokeAsync();
