// A record documents the parameters whose name does not say it all, not every one.
#pragma warning disable CS1573

namespace GovFlow.Host.Api.Contracts;

/// <summary>A department or hall as administrators list it.</summary>
/// <param name="Uscc">统一社会信用代码.</param>
/// <param name="ParentId">The department it belongs to.</param>
/// <param name="IsHall">A service hall whose windows accept applications.</param>
/// <param name="Users">How many users belong to it.</param>
/// <param name="RegionCode">行政区划代码 of where it sits (通办 scopes are read against it).</param>
/// <param name="RegionName">That region's name.</param>
public sealed record DepartmentView(string Id, string Name, string? Uscc, string? ParentId, bool IsHall, bool Active, int Users, string? RegionCode = null, string? RegionName = null);

/// <summary>A user as administrators list it (never the password).</summary>
/// <param name="MustChangePassword">Still on a one-time password.</param>
/// <param name="OtherRoles">Roles held besides the post (policy, auditor, admin).</param>
public sealed record AdminUserView(string UserName, string DisplayName, string Role, string? Department, bool IsHead, string? IdNumber, bool Active, bool MustChangePassword, IReadOnlyList<string> OtherRoles);

/// <summary>A role as the administrator's form offers it.</summary>
/// <param name="Code">policy, window, reviewer, auditor, applicant or admin.</param>
/// <param name="Name">The role in the hall's words.</param>
/// <param name="Additional">May be held besides another post (兼任).</param>
public sealed record RoleView(string Code, string Name, bool Additional);

/// <summary>A user just created or reset, with the one-time password to hand over (shown once, never stored in clear).</summary>
public sealed record OneTimePassword(AdminUserView User, string Password);

/// <summary>One journaled change to people or departments.</summary>
/// <param name="Entity">user or department.</param>
/// <param name="Key">The user name or department id.</param>
/// <param name="Action">created, updated, disabled, password-reset or password-changed.</param>
/// <param name="Before">The row before (JSON), or null.</param>
/// <param name="After">The row after (JSON), or null.</param>
public sealed record AdminChangeView(string Id, DateTimeOffset At, string Actor, string Entity, string Key, string Action, string? Before, string? After);

/// <summary>A user's own change of password.</summary>
public sealed record PasswordChange(string? CurrentPassword, string? NewPassword);
