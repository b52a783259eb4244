// A record documents the parameters whose name does not say it all, not every one.
#pragma warning disable CS1573

namespace GovFlow.Host.Api.Contracts;

/// <summary>Sign-in request: a user name and the password.</summary>
public sealed record LoginRequest(string? UserName, string? Password);

/// <summary>The signed-in user: who, in which role and department.</summary>
/// <param name="UserName">Sign-in name.</param>
/// <param name="Role">policy, window, reviewer, auditor, applicant or admin.</param>
/// <param name="Department">The department whose inbox the user works, or null (applicants, auditors).</param>
/// <param name="DisplayName">Name shown in the UI.</param>
/// <param name="IsHead">Head of the department: reassigns and releases its tasks.</param>
/// <param name="MustChangePassword">Signed in with a one-time password: only changing it is allowed until then.</param>
/// <param name="Roles">The post and every other role held; the UI offers what any of them allows.</param>
public sealed record UserView(string UserName, string Role, string? Department, string DisplayName, bool IsHead, bool MustChangePassword, IReadOnlyList<string> Roles);

/// <summary>A demo user with the shared demo password, for the login page in demo mode.</summary>
public sealed record DemoUserView(string UserName, string Password, string Role, string? Department, string DisplayName);

/// <summary>A staff member's sign-in name and the name the UI shows for them (who claimed or handled a step).</summary>
public sealed record PersonName(string UserName, string DisplayName);
