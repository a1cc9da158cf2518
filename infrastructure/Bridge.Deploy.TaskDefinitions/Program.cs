using System.CommandLine;
using Bridge.Deploy.TaskDefinitions;
using Bridge.Deploy.TaskDefinitions.TaskDefinitions;

var rootOption = new Option<DirectoryInfo?>("--root")
{
    Description = "The repository root (holding aspire-manifest.json); found upwards from the current directory when omitted.",
};
var checkOption = new Option<bool>("--check")
{
    Description = "Write nothing; exit 1 when the committed task definitions differ from what the manifest makes.",
};

var command = new RootCommand(
    "Translates aspire-manifest.json and infrastructure/environments/*/deployment.json into " +
    "ECS Fargate task definitions under infrastructure/task-definitions/<env>/<service>.json.")
{
    rootOption,
    checkOption,
};

command.SetAction(parseResult =>
{
    try
    {
        var root = parseResult.GetValue(rootOption)?.FullName ?? TaskDefinitionFiles.FindRepositoryRoot(Directory.GetCurrentDirectory());
        if (parseResult.GetValue(checkOption))
        {
            var stale = TaskDefinitionFiles.Differences(TaskDefinitionFiles.Render(root), TaskDefinitionFiles.ReadCommitted(root));
            foreach (var path in stale)
            {
                Console.Error.WriteLine($"stale: {path}");
            }
            if (stale.Count > 0)
            {
                Console.Error.WriteLine($"Regenerate with: {TaskDefinitionFiles.RegenerateCommand}");
            }
            return stale.Count == 0 ? 0 : 1;
        }

        var changed = TaskDefinitionFiles.Write(root);
        Console.WriteLine(changed.Count == 0 ? "Task definitions are up to date." : string.Join('\n', changed.Select(path => $"wrote: {path}")));
        return 0;
    }
    catch (TranslationException e)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 2;
    }
});

return command.Parse(args).Invoke();
