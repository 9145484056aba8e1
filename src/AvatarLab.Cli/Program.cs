using AvatarLab.Cli;

// avatarlab run ... | avatarlab bench ... | avatarlab info --model ...   (see Usage.Text)
// Exit codes: 0 success, 1 the run failed, 2 bad arguments or files (one line on stderr).
try
{
    return await Commands.RunAsync(args, Console.Out, Console.Error);
}
catch (CliException ex)
{
    Console.Error.WriteLine($"avatarlab: {ex.Message}");
    return 2;
}
