using GovFlow.Host.Cases;

namespace GovFlow.Host.Cli;

/// <summary>
/// <c>create-admin NAME</c>: the first administrator of a fresh database. There is no default password anywhere:
/// the account gets a one-time password, printed once, that must be changed at the first sign-in.
/// </summary>
public static class AdminCommand
{
    /// <summary>Creates the administrator; exit 0 with the one-time password, 2 with the reason.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length != 1 || args[0].StartsWith('-'))
        {
            await stderr.WriteLineAsync("usage: create-admin NAME");
            return 2;
        }
        using var scope = services.CreateScope();
        try
        {
            var password = await scope.ServiceProvider.GetRequiredService<People.Administration>().CreateFirstAdminAsync(args[0]);
            await stdout.WriteLineAsync($"已创建系统管理员 {args[0]}。一次性密码（仅显示这一次，首次登录后须修改）：");
            await stdout.WriteLineAsync(password);
            return 0;
        }
        catch (InputException ex)
        {
            await stderr.WriteLineAsync($"{ex.Field}: {ex.Message}");
            return 2;
        }
    }
}
