namespace AvatarLab.OnnxCheck;

/// <summary>
/// Bad arguments or input files: the check could not be carried out (exit code 2), as
/// opposed to a model that ran and disagreed with the expected outputs (exit code 1).
/// The message is shown to the user as one line and names the file and tensor involved.
/// </summary>
internal sealed class CheckInputException(string message) : Exception(message);
