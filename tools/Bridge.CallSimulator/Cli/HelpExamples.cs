using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Bridge.CallSimulator.Cli;

/// <summary>An "Examples:" section at the end of a command's help, after its options.</summary>
public static class HelpExamples
{
    private static readonly Dictionary<Command, string[]> Examples = [];

    /// <summary>Gives <paramref name="command"/> these example lines in its help.</summary>
    public static T WithExamples<T>(this T command, params string[] examples) where T : Command
    {
        Examples[command] = examples;
        return command;
    }

    /// <summary>Makes the root's help option (which every subcommand shares) print the examples after the usual help.</summary>
    public static RootCommand ShowingExamples(this RootCommand root)
    {
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            if (help.Action is HelpAction standard)
            {
                help.Action = new HelpWithExamples(standard);
            }
        }
        return root;
    }

    private sealed class HelpWithExamples(HelpAction standard) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var result = standard.Invoke(parseResult);
            if (Examples.TryGetValue(parseResult.CommandResult.Command, out var examples))
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine("Examples:");
                foreach (var example in examples)
                {
                    output.WriteLine(example.Length == 0 ? "" : "  " + example);
                }
                output.WriteLine();
            }
            return result;
        }
    }
}
