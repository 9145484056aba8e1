namespace AvatarLab.Server.Hosting;

/// <summary>The two roles: every account is a researcher; admins also manage accounts.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Researcher = "researcher";
}
