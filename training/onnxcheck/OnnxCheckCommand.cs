namespace AvatarLab.OnnxCheck;

/// <summary>Runs the check the command line asks for and prints one line per case and output.</summary>
internal static class OnnxCheckCommand
{
    public static int Run(CheckOptions options, TextWriter output, TextWriter errors)
    {
        using var session = DenoiserSession.Open(options.ModelPath!);
        if (options.PrintIo)
        {
            ModelIoPrinter.Print(session, output);
        }

        if (options.CasesDirectory is null)
        {
            return ExitCodes.Ok;
        }

        var cases = CaseFolder.LoadAll(options.CasesDirectory);
        int passed = 0, failed = 0;
        (double Diff, string Where) worst = (0, "none");
        foreach (var folder in cases)
        {
            var result = session.Check(folder, options.Tolerance, errors);
            if (result.RunError is not null)
            {
                output.WriteLine($"{result.Case} run FAIL ({result.RunError})");
                failed++;
                continue;
            }

            foreach (var check in result.Outputs)
            {
                var verdict = check.Passed ? "OK" : $"FAIL ({check.Failure})";
                output.WriteLine(
                    $"{result.Case} {check.Output} max_abs_diff={TextFormat.Number(check.MaxAbsDiff)} shape={TextFormat.Shape(check.Shape)} {verdict}");
                if (check.Passed)
                {
                    passed++;
                }
                else
                {
                    failed++;
                }

                if (check.MaxAbsDiff > worst.Diff)
                {
                    worst = (check.MaxAbsDiff, $"{result.Case} {check.Output}");
                }
            }
        }

        output.WriteLine(
            $"summary: {cases.Count} cases, {passed} outputs OK, {failed} failed, worst max_abs_diff={TextFormat.Number(worst.Diff)} ({worst.Where}), tol={TextFormat.Number(options.Tolerance)}");
        return failed == 0 ? ExitCodes.Ok : ExitCodes.Mismatch;
    }
}
