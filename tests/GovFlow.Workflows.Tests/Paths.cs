namespace GovFlow.Workflows.Tests;

/// <summary>Locates the repository and the shared folder beside it.</summary>
internal static class Paths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string Conformance => Path.Combine(Shared, "elsa-conformance");

    public static string ConformanceFile(string name) => Path.Combine(Conformance, "files", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GovFlow.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("GovFlow.sln not found above the test directory.");
    }
}
