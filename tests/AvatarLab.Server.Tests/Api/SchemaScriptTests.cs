using AvatarLab.Server.Hosting;
using AvatarLab.Server.Tests.Support;

namespace AvatarLab.Server.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class SchemaScriptTests(ApiHostFixture fixture)
{
    private const string Regenerate = "dotnet run --project src/AvatarLab.Server -- --write-schema \"$PWD/db/schema.sql\"";

    [Fact]
    public async Task SchemaScript_Committed_EqualsWhatTheMigrationsWrite()
    {
        // Arrange
        var committed = Path.Combine(RepoPaths.Root, "db", "schema.sql");
        var generated = Path.Combine(fixture.Host.DataDirectory, "schema.sql");

        // Act
        await StartupTasks.WriteSchemaAsync(fixture.Host.Services, generated);

        // Assert
        Assert.True(File.Exists(committed), $"db/schema.sql is missing; write it with `{Regenerate}` (from the repository root)");
        var expected = (await File.ReadAllTextAsync(generated)).Split('\n');
        var actual = (await File.ReadAllTextAsync(committed)).ReplaceLineEndings("\n").Split('\n');
        var firstDifference = Enumerable.Range(0, Math.Max(expected.Length, actual.Length))
            .FirstOrDefault(i => i >= expected.Length || i >= actual.Length || expected[i] != actual[i], -1);
        Assert.True(firstDifference < 0,
            $"db/schema.sql is out of date with the migrations (first difference at line {firstDifference + 1}: " +
            $"committed '{actual.ElementAtOrDefault(firstDifference)}', migrations '{expected.ElementAtOrDefault(firstDifference)}'). " +
            $"Regenerate it from the repository root with `{Regenerate}` and commit it.");
    }
}
