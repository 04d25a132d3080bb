/** Container and pod security settings (io.k8s.api.core.v1.SecurityContext, PodSecurityContext and parts). */
import { arr, bool, def, enumStr, int64, ref, str } from '../../schema/builder.js';

const CORE = 'io.k8s.api.core.v1';

export const Capabilities = def(`${CORE}.Capabilities`, 'POSIX capabilities to add to or drop from a container.', {
  add: arr(str('', { default: '' }), 'Capabilities to add.', { listType: 'atomic' }),
  drop: arr(str('', { default: '' }), 'Capabilities to drop.', { listType: 'atomic' }),
});

export const SELinuxOptions = def(`${CORE}.SELinuxOptions`, 'SELinux label parts applied to a container.', {
  user: str('SELinux user.'),
  role: str('SELinux role.'),
  type: str('SELinux type.'),
  level: str('SELinux level.'),
});

export const WindowsSecurityContextOptions = def(`${CORE}.WindowsSecurityContextOptions`, 'Windows-only security settings.', {
  gmsaCredentialSpecName: str('Name of the GMSA credential spec to use.'),
  gmsaCredentialSpec: str('Inlined contents of the GMSA credential spec.'),
  runAsUserName: str('User name to run the entrypoint as.'),
  hostProcess: bool('Run as a Windows host process container.'),
});

const profileTypes = {
  Localhost: 'a profile stored on the node, named by localhostProfile',
  RuntimeDefault: 'the container runtime default profile',
  Unconfined: 'no profile',
};

export const SeccompProfile = def(
  `${CORE}.SeccompProfile`,
  'Which seccomp profile applies.',
  {
    type: enumStr('Kind of profile.', profileTypes, { default: '' }),
    localhostProfile: str('Path of the profile on the node, relative to the kubelet seccomp directory; only for Localhost.'),
  },
  { required: ['type'], extra: { 'x-kubernetes-unions': [{ discriminator: 'type', 'fields-to-discriminateBy': { localhostProfile: 'LocalhostProfile' } }] } },
);

export const AppArmorProfile = def(
  `${CORE}.AppArmorProfile`,
  'Which AppArmor profile applies.',
  {
    type: enumStr('Kind of profile.', profileTypes, { default: '' }),
    localhostProfile: str('Name of a profile loaded on the node; only for Localhost.'),
  },
  { required: ['type'], extra: { 'x-kubernetes-unions': [{ discriminator: 'type', 'fields-to-discriminateBy': { localhostProfile: 'LocalhostProfile' } }] } },
);

export const SecurityContext = def(`${CORE}.SecurityContext`, 'Security settings of one container; they override the pod-level ones.', {
  capabilities: ref(Capabilities, 'Capabilities to add or drop.'),
  privileged: bool('Run the container privileged (like root on the host).'),
  seLinuxOptions: ref(SELinuxOptions, 'SELinux context for the container.'),
  windowsOptions: ref(WindowsSecurityContextOptions, 'Windows-specific settings.'),
  runAsUser: int64('UID to run the entrypoint as.'),
  runAsGroup: int64('GID to run the entrypoint as.'),
  runAsNonRoot: bool('Refuse to start the container if it would run as UID 0.'),
  readOnlyRootFilesystem: bool('Mount the root filesystem read-only.'),
  allowPrivilegeEscalation: bool('Whether a process may gain more privileges than its parent (no_new_privs).'),
  procMount: enumStr('Kind of /proc mount.', { Default: 'the runtime default masking of /proc', Unmasked: 'no masking' }),
  seccompProfile: ref(SeccompProfile, 'Seccomp profile for the container.'),
  appArmorProfile: ref(AppArmorProfile, 'AppArmor profile for the container.'),
});

export const Sysctl = def(
  `${CORE}.Sysctl`,
  'A kernel parameter to set in the pod.',
  { name: str('Parameter name.', { default: '' }), value: str('Parameter value.', { default: '' }) },
  { required: ['name', 'value'] },
);

export const PodSecurityContext = def(`${CORE}.PodSecurityContext`, 'Security settings for every container of a pod.', {
  seLinuxOptions: ref(SELinuxOptions, 'SELinux context for all containers.'),
  windowsOptions: ref(WindowsSecurityContextOptions, 'Windows-specific settings for all containers.'),
  runAsUser: int64('UID to run entrypoints as.'),
  runAsGroup: int64('GID to run entrypoints as.'),
  runAsNonRoot: bool('Refuse to start containers that would run as UID 0.'),
  supplementalGroups: arr({ type: 'integer', format: 'int64', default: 0 }, 'Extra GIDs for the first process of each container.', {
    listType: 'atomic',
  }),
  supplementalGroupsPolicy: enumStr('How supplemental groups of the first process are computed.', {
    Merge: 'merge the groups of the image user with supplementalGroups',
    Strict: 'use only the groups listed here',
  }),
  fsGroup: int64('GID that owns mounted volumes and is added to every container.'),
  sysctls: arr(ref(Sysctl, undefined, { default: {} }), 'Namespaced kernel parameters to set.', { listType: 'atomic' }),
  fsGroupChangePolicy: enumStr('When volume ownership is changed to fsGroup.', {
    Always: 'on every mount',
    OnRootMismatch: 'only when the volume root does not match',
  }),
  seccompProfile: ref(SeccompProfile, 'Seccomp profile for all containers.'),
  appArmorProfile: ref(AppArmorProfile, 'AppArmor profile for all containers.'),
  seLinuxChangePolicy: str('How the SELinux label is applied to volumes: "Recursive" or "MountOption".'),
});
