CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY,
    "ProductVersion" TEXT NOT NULL
);

BEGIN TRANSACTION;
CREATE TABLE "AspNetRoles" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetRoles" PRIMARY KEY,
    "Name" TEXT NULL,
    "NormalizedName" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL
);

CREATE TABLE "AspNetUsers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetUsers" PRIMARY KEY,
    "DisplayName" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UserName" TEXT NULL,
    "NormalizedUserName" TEXT NULL,
    "Email" TEXT NULL,
    "NormalizedEmail" TEXT NULL,
    "EmailConfirmed" INTEGER NOT NULL,
    "PasswordHash" TEXT NULL,
    "SecurityStamp" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL,
    "PhoneNumber" TEXT NULL,
    "PhoneNumberConfirmed" INTEGER NOT NULL,
    "TwoFactorEnabled" INTEGER NOT NULL,
    "LockoutEnd" TEXT NULL,
    "LockoutEnabled" INTEGER NOT NULL,
    "AccessFailedCount" INTEGER NOT NULL
);

CREATE TABLE "Models" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Models" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "Version" TEXT NOT NULL,
    "Description" TEXT NOT NULL,
    "Origin" TEXT NOT NULL,
    "SourcePath" TEXT NULL,
    "PackageSha256" TEXT NULL,
    "UploadedFileName" TEXT NULL,
    "ManifestJson" TEXT NOT NULL,
    "LatentDim" INTEGER NOT NULL,
    "Fps" INTEGER NOT NULL,
    "BlockFrames" INTEGER NOT NULL,
    "Layers" INTEGER NOT NULL,
    "HasAttentionOutputs" INTEGER NOT NULL,
    "RegisteredAt" TEXT NOT NULL,
    "RegisteredById" TEXT NULL,
    "LoadError" TEXT NULL,
    "Archived" INTEGER NOT NULL
);

CREATE TABLE "Recordings" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Recordings" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "Description" TEXT NOT NULL,
    "OwnerId" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "DurationSeconds" REAL NOT NULL
);

CREATE TABLE "StoredFiles" (
    "Sha256" TEXT NOT NULL CONSTRAINT "PK_StoredFiles" PRIMARY KEY,
    "Bytes" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL
);

CREATE TABLE "AspNetRoleClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetRoleClaims" PRIMARY KEY AUTOINCREMENT,
    "RoleId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetRoleClaims_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserLogins" (
    "LoginProvider" TEXT NOT NULL,
    "ProviderKey" TEXT NOT NULL,
    "ProviderDisplayName" TEXT NULL,
    "UserId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
    CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserRoles" (
    "UserId" TEXT NOT NULL,
    "RoleId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserRoles" PRIMARY KEY ("UserId", "RoleId"),
    CONSTRAINT "FK_AspNetUserRoles_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AspNetUserRoles_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserTokens" (
    "UserId" TEXT NOT NULL,
    "LoginProvider" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Value" TEXT NULL,
    CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
    CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Sessions" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Sessions" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "OwnerId" TEXT NULL,
    "RecordingId" TEXT NULL,
    "ModelId" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "StartedAt" TEXT NULL,
    "FinishedAt" TEXT NULL,
    "Sampler" TEXT NOT NULL,
    "Nfe" INTEGER NULL,
    "AvatarAudioScale" REAL NULL,
    "UserScale" REAL NULL,
    "Seed" INTEGER NOT NULL,
    "Dropped" TEXT NOT NULL,
    "Schedule" TEXT NOT NULL,
    "StaggerSpread" REAL NOT NULL,
    "Error" TEXT NULL,
    "Device" TEXT NULL,
    "DeviceReason" TEXT NULL,
    "Frames" INTEGER NOT NULL,
    "Blocks" INTEGER NOT NULL,
    "MediaSeconds" REAL NOT NULL,
    "ComputeP50Ms" REAL NULL,
    "ComputeP95Ms" REAL NULL,
    "ComputeP99Ms" REAL NULL,
    "ComputeMaxMs" REAL NULL,
    "RealTimeFactor" REAL NULL,
    "WallSeconds" REAL NULL,
    "Notes" TEXT NOT NULL,
    "VideoSha256" TEXT NULL,
    "MotionSha256" TEXT NULL,
    "TelemetrySha256" TEXT NULL,
    "SummarySha256" TEXT NULL,
    CONSTRAINT "FK_Sessions_Models_ModelId" FOREIGN KEY ("ModelId") REFERENCES "Models" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Sessions_Recordings_RecordingId" FOREIGN KEY ("RecordingId") REFERENCES "Recordings" ("Id") ON DELETE SET NULL
);

CREATE TABLE "RecordingFiles" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_RecordingFiles" PRIMARY KEY,
    "RecordingId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Sha256" TEXT NOT NULL,
    "FileName" TEXT NOT NULL,
    "ContentType" TEXT NOT NULL,
    "Bytes" INTEGER NOT NULL,
    "DurationSeconds" REAL NULL,
    "SampleRate" INTEGER NULL,
    "Channels" INTEGER NULL,
    "Width" INTEGER NULL,
    "Height" INTEGER NULL,
    "Frames" INTEGER NULL,
    "Fps" REAL NULL,
    "MotionSource" TEXT NULL,
    "Details" TEXT NOT NULL,
    CONSTRAINT "FK_RecordingFiles_Recordings_RecordingId" FOREIGN KEY ("RecordingId") REFERENCES "Recordings" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_RecordingFiles_StoredFiles_Sha256" FOREIGN KEY ("Sha256") REFERENCES "StoredFiles" ("Sha256") ON DELETE RESTRICT
);

CREATE TABLE "Jobs" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Jobs" PRIMARY KEY,
    "SessionId" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "EnqueuedAt" TEXT NOT NULL,
    "StartedAt" TEXT NULL,
    "FinishedAt" TEXT NULL,
    "Progress" REAL NOT NULL,
    "Stage" TEXT NOT NULL,
    "Error" TEXT NULL,
    "CancelRequested" INTEGER NOT NULL,
    CONSTRAINT "FK_Jobs_Sessions_SessionId" FOREIGN KEY ("SessionId") REFERENCES "Sessions" ("Id") ON DELETE CASCADE
);

CREATE TABLE "SessionBlocks" (
    "SessionId" TEXT NOT NULL,
    "Index" INTEGER NOT NULL,
    "FirstFrame" INTEGER NOT NULL,
    "NewFrames" INTEGER NOT NULL,
    "ComputeMs" REAL NOT NULL,
    "DenoiseMs" REAL NOT NULL,
    "CacheRefreshMs" REAL NOT NULL,
    "FeaturesMs" REAL NOT NULL,
    "RenderMs" REAL NOT NULL,
    "TelemetryOffset" INTEGER NOT NULL,
    "TelemetryLength" INTEGER NOT NULL,
    CONSTRAINT "PK_SessionBlocks" PRIMARY KEY ("SessionId", "Index"),
    CONSTRAINT "FK_SessionBlocks_Sessions_SessionId" FOREIGN KEY ("SessionId") REFERENCES "Sessions" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_AspNetRoleClaims_RoleId" ON "AspNetRoleClaims" ("RoleId");

CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName");

CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");

CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");

CREATE INDEX "IX_AspNetUserRoles_RoleId" ON "AspNetUserRoles" ("RoleId");

CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");

CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");

CREATE INDEX "IX_Jobs_SessionId" ON "Jobs" ("SessionId");

CREATE INDEX "IX_Jobs_Status_EnqueuedAt" ON "Jobs" ("Status", "EnqueuedAt");

CREATE INDEX "IX_Models_PackageSha256" ON "Models" ("PackageSha256");

CREATE INDEX "IX_Models_SourcePath" ON "Models" ("SourcePath");

CREATE UNIQUE INDEX "IX_RecordingFiles_RecordingId_Kind" ON "RecordingFiles" ("RecordingId", "Kind");

CREATE INDEX "IX_RecordingFiles_Sha256" ON "RecordingFiles" ("Sha256");

CREATE INDEX "IX_Recordings_CreatedAt" ON "Recordings" ("CreatedAt");

CREATE INDEX "IX_Sessions_CreatedAt" ON "Sessions" ("CreatedAt");

CREATE INDEX "IX_Sessions_ModelId" ON "Sessions" ("ModelId");

CREATE INDEX "IX_Sessions_RecordingId" ON "Sessions" ("RecordingId");

CREATE INDEX "IX_Sessions_Status" ON "Sessions" ("Status");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261125044940_Initial', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "Sessions" ADD "AttentionCapture" TEXT NOT NULL DEFAULT 'FinalStep';

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261125131745_AttentionCapture', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "Sessions" ADD "ClampToLatentRange" INTEGER NULL;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261203195623_ClampToLatentRange', '10.0.15');

COMMIT;

