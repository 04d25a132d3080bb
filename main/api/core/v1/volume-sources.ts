/**
 * The storage back-ends a volume can name, shared between pod volumes and PersistentVolumes. Kinds whose
 * PersistentVolume form differs only in how a secret is referenced are built by one function taking the
 * secret reference type (pod volumes use LocalObjectReference, PVs use SecretReference).
 */
import { Quantity } from '../../meta/schemas.js';
import { arr, bool, def, enumStr, int32, map, ref, str } from '../../schema/builder.js';
import type { Definition, Schema } from '../../schema/schema.js';
import { LocalObjectReference } from './object-reference.js';

const CORE = 'io.k8s.api.core.v1';
const strings = (d: string) => arr(str('', { default: '' }), d, { listType: 'atomic' });
const fsType = () => str('Filesystem type to mount, e.g. ext4 or xfs; ext4 when empty.');
const readOnly = () => bool('Mount read-only. Defaults to false.');

export const SecretReference = def(
  `${CORE}.SecretReference`,
  'Names a Secret, possibly in another namespace.',
  { name: str('Name of the Secret.'), namespace: str('Namespace of the Secret.') },
  { extra: { 'x-kubernetes-map-type': 'atomic' } },
);

export const HostPathVolumeSource = def(
  `${CORE}.HostPathVolumeSource`,
  'A file or directory of the node, mounted into the pod.',
  {
    path: str('Path on the node; symlinks are followed.', { default: '' }),
    type: enumStr('What must exist at the path. Defaults to "" (no check).', {
      '': 'no check is done',
      BlockDevice: 'a block device must exist',
      CharDevice: 'a character device must exist',
      Directory: 'a directory must exist',
      DirectoryOrCreate: 'a directory is created if missing',
      File: 'a file must exist',
      FileOrCreate: 'a file is created if missing',
      Socket: 'a UNIX socket must exist',
    }),
  },
  { required: ['path'] },
);

export const EmptyDirVolumeSource = def(`${CORE}.EmptyDirVolumeSource`, 'A scratch directory that lives as long as the pod.', {
  medium: str('Storage medium: "" (node default) or "Memory" (tmpfs).'),
  sizeLimit: ref(Quantity, 'Most storage the directory may use.'),
});

export const GCEPersistentDiskVolumeSource = def(
  `${CORE}.GCEPersistentDiskVolumeSource`,
  'A Google Compute Engine persistent disk (deprecated in-tree driver).',
  {
    pdName: str('Name of the disk in GCE.', { default: '' }),
    fsType: fsType(),
    partition: int32('Partition to mount; 0 means the whole disk.'),
    readOnly: readOnly(),
  },
  { required: ['pdName'] },
);

export const AWSElasticBlockStoreVolumeSource = def(
  `${CORE}.AWSElasticBlockStoreVolumeSource`,
  'An AWS EBS disk (deprecated in-tree driver).',
  {
    volumeID: str('ID of the EBS volume.', { default: '' }),
    fsType: fsType(),
    partition: int32('Partition to mount; 0 means the whole disk.'),
    readOnly: readOnly(),
  },
  { required: ['volumeID'] },
);

export const GitRepoVolumeSource = def(
  `${CORE}.GitRepoVolumeSource`,
  'A directory cloned from a git repository (deprecated).',
  {
    repository: str('Repository URL.', { default: '' }),
    revision: str('Commit hash to check out.'),
    directory: str('Target directory name; "." clones into the volume root.'),
  },
  { required: ['repository'] },
);

export const KeyToPath = def(
  `${CORE}.KeyToPath`,
  'Projects one key to a file path inside a volume.',
  {
    key: str('The key to project.', { default: '' }),
    path: str('Relative file path; must not contain ".." or start with "..".', { default: '' }),
    mode: int32('Permission bits of the file (0000-0777); the volume default when unset.'),
  },
  { required: ['key', 'path'] },
);

const keyItems = () => arr(ref(KeyToPath, undefined, { default: {} }), 'Keys to project; all keys when empty.', { listType: 'atomic' });
const defaultMode = () => int32('Permission bits of created files (0000-0777). Defaults to 0644.');

export const SecretVolumeSource = def(`${CORE}.SecretVolumeSource`, 'The keys of a Secret as files.', {
  secretName: str('Name of the Secret in the pod namespace.'),
  items: keyItems(),
  defaultMode: defaultMode(),
  optional: bool('Whether the Secret or its keys may be missing.'),
});

export const ConfigMapVolumeSource = def(`${CORE}.ConfigMapVolumeSource`, 'The keys of a ConfigMap as files.', {
  name: str('Name of the ConfigMap.', { default: '' }),
  items: keyItems(),
  defaultMode: defaultMode(),
  optional: bool('Whether the ConfigMap or its keys may be missing.'),
});

export const NFSVolumeSource = def(
  `${CORE}.NFSVolumeSource`,
  'An NFS export.',
  {
    server: str('Host name or IP of the NFS server.', { default: '' }),
    path: str('Exported path.', { default: '' }),
    readOnly: readOnly(),
  },
  { required: ['server', 'path'] },
);

export function iscsiSource(name: string, secretRef: Definition): Definition {
  return def(
    `${CORE}.${name}`,
    'An iSCSI disk.',
    {
      targetPortal: str('iSCSI target portal, IP or host with optional port.', { default: '' }),
      iqn: str('iSCSI qualified name of the target.', { default: '' }),
      lun: int32('Target LUN number.', { default: 0 }),
      iscsiInterface: str('iSCSI interface name. Defaults to "default".'),
      fsType: fsType(),
      readOnly: readOnly(),
      portals: strings('Additional target portals.'),
      chapAuthDiscovery: bool('Use CHAP authentication for discovery.'),
      chapAuthSession: bool('Use CHAP authentication for the session.'),
      secretRef: ref(secretRef, 'Secret holding the CHAP credentials.'),
      initiatorName: str('Custom initiator name.'),
    },
    { required: ['targetPortal', 'iqn', 'lun'] },
  );
}
export const ISCSIVolumeSource = iscsiSource('ISCSIVolumeSource', LocalObjectReference);

export const GlusterfsVolumeSource = def(
  `${CORE}.GlusterfsVolumeSource`,
  'A GlusterFS volume (removed driver).',
  {
    endpoints: str('Endpoints object naming the Glusterfs servers.', { default: '' }),
    path: str('Glusterfs volume path.', { default: '' }),
    readOnly: readOnly(),
  },
  { required: ['endpoints', 'path'] },
);

export const PersistentVolumeClaimVolumeSource = def(
  `${CORE}.PersistentVolumeClaimVolumeSource`,
  'The volume bound to a PersistentVolumeClaim of the pod namespace.',
  {
    claimName: str('Name of the claim.', { default: '' }),
    readOnly: bool('Force a read-only mount.'),
  },
  { required: ['claimName'] },
);

export function rbdSource(name: string, secretRef: Definition): Definition {
  return def(
    `${CORE}.${name}`,
    'A Ceph RBD image (removed driver).',
    {
      monitors: strings('Ceph monitors.'),
      image: str('RBD image name.', { default: '' }),
      fsType: fsType(),
      pool: str('RADOS pool. Defaults to "rbd".'),
      user: str('RADOS user. Defaults to "admin".'),
      keyring: str('Keyring path. Defaults to /etc/ceph/keyring.'),
      secretRef: ref(secretRef, 'Secret holding the authentication key.'),
      readOnly: readOnly(),
    },
    { required: ['monitors', 'image'] },
  );
}
export const RBDVolumeSource = rbdSource('RBDVolumeSource', LocalObjectReference);

export function flexSource(name: string, secretRef: Definition): Definition {
  return def(
    `${CORE}.${name}`,
    'A volume served by an exec-based FlexVolume driver.',
    {
      driver: str('Name of the driver.', { default: '' }),
      fsType: str('Filesystem type; depends on the driver.'),
      secretRef: ref(secretRef, 'Secret passed to the driver scripts.'),
      readOnly: readOnly(),
      options: map({ type: 'string', default: '' }, 'Extra driver options.'),
    },
    { required: ['driver'] },
  );
}
export const FlexVolumeSource = flexSource('FlexVolumeSource', LocalObjectReference);

export function cinderSource(name: string, secretRef: Definition): Definition {
  return def(
    `${CORE}.${name}`,
    'An OpenStack Cinder volume (deprecated in-tree driver).',
    {
      volumeID: str('Cinder volume ID.', { default: '' }),
      fsType: fsType(),
      readOnly: readOnly(),
      secretRef: ref(secretRef, 'Secret with OpenStack connection parameters.'),
    },
    { required: ['volumeID'] },
  );
}
export const CinderVolumeSource = cinderSource('CinderVolumeSource', LocalObjectReference);

export function cephfsSource(name: string, secretRef: Definition): Definition {
  return def(
    `${CORE}.${name}`,
    'A CephFS mount (removed driver).',
    {
      monitors: strings('Ceph monitors.'),
      path: str('Path to mount; / when empty.'),
      user: str('RADOS user. Defaults to "admin".'),
      secretFile: str('Keyring path. Defaults to /etc/ceph/user.secret.'),
      secretRef: ref(secretRef, 'Secret holding the authentication key.'),
      readOnly: readOnly(),
    },
    { required: ['monitors'] },
  );
}
export const CephFSVolumeSource = cephfsSource('CephFSVolumeSource', LocalObjectReference);

export const FlockerVolumeSource = def(`${CORE}.FlockerVolumeSource`, 'A Flocker dataset (removed driver).', {
  datasetName: str('Dataset name (deprecated form).'),
  datasetUUID: str('Dataset UUID.'),
});

export const FCVolumeSource = def(`${CORE}.FCVolumeSource`, 'A Fibre Channel disk.', {
  targetWWNs: strings('Target world wide names.'),
  lun: int32('Target LUN number.'),
  fsType: fsType(),
  readOnly: readOnly(),
  wwids: strings('World wide identifiers; exclusive with targetWWNs plus lun.'),
});

export const AzureFileVolumeSource = def(
  `${CORE}.AzureFileVolumeSource`,
  'An Azure File share (deprecated in-tree driver).',
  {
    secretName: str('Secret with the storage account name and key.', { default: '' }),
    shareName: str('Share name.', { default: '' }),
    readOnly: readOnly(),
  },
  { required: ['secretName', 'shareName'] },
);

export const VsphereVirtualDiskVolumeSource = def(
  `${CORE}.VsphereVirtualDiskVolumeSource`,
  'A vSphere virtual disk (deprecated in-tree driver).',
  {
    volumePath: str('Path of the VMDK.', { default: '' }),
    fsType: fsType(),
    storagePolicyName: str('Storage policy name.'),
    storagePolicyID: str('Storage policy ID.'),
  },
  { required: ['volumePath'] },
);

export const QuobyteVolumeSource = def(
  `${CORE}.QuobyteVolumeSource`,
  'A Quobyte volume (removed driver).',
  {
    registry: str('Registry services, host:port pairs separated by commas.', { default: '' }),
    volume: str('Volume name.', { default: '' }),
    readOnly: readOnly(),
    user: str('User to map access to.'),
    group: str('Group to map access to.'),
    tenant: str('Owning tenant.'),
  },
  { required: ['registry', 'volume'] },
);

export const AzureDiskVolumeSource = def(
  `${CORE}.AzureDiskVolumeSource`,
  'An Azure data disk (deprecated in-tree driver).',
  {
    diskName: str('Disk name in the blob storage.', { default: '' }),
    diskURI: str('URI of the disk.', { default: '' }),
    cachingMode: enumStr('Host caching mode. Defaults to ReadWrite.', { None: 'no caching', ReadOnly: 'read cache', ReadWrite: 'read/write cache' }),
    fsType: str('Filesystem type. Defaults to ext4.', { default: 'ext4' }),
    readOnly: bool('Mount read-only. Defaults to false.', { default: false }),
    kind: enumStr('Disk kind. Defaults to Shared.', { Dedicated: 'one blob disk per storage account', Managed: 'Azure managed disk', Shared: 'several blob disks per storage account' }),
  },
  { required: ['diskName', 'diskURI'] },
);

export const PhotonPersistentDiskVolumeSource = def(
  `${CORE}.PhotonPersistentDiskVolumeSource`,
  'A Photon Controller disk (removed driver).',
  { pdID: str('Disk ID.', { default: '' }), fsType: fsType() },
  { required: ['pdID'] },
);

export const PortworxVolumeSource = def(
  `${CORE}.PortworxVolumeSource`,
  'A Portworx volume.',
  { volumeID: str('Volume ID.', { default: '' }), fsType: fsType(), readOnly: readOnly() },
  { required: ['volumeID'] },
);

export function scaleIOSource(name: string, secretRef: Definition): Definition {
  return def(
    `${CORE}.${name}`,
    'A ScaleIO volume (removed driver).',
    {
      gateway: str('Gateway address.', { default: '' }),
      system: str('Storage system name.', { default: '' }),
      secretRef: ref(secretRef, 'Secret holding the ScaleIO user credentials.'),
      sslEnabled: bool('Use SSL to talk to the gateway.'),
      protectionDomain: str('Protection domain.'),
      storagePool: str('Storage pool.'),
      storageMode: str('ThickProvisioned or ThinProvisioned. Defaults to ThinProvisioned.', { default: 'ThinProvisioned' }),
      volumeName: str('Name of an existing volume.'),
      fsType: str('Filesystem type. Defaults to xfs.', { default: 'xfs' }),
      readOnly: readOnly(),
    },
    { required: ['gateway', 'system', 'secretRef'] },
  );
}
export const ScaleIOVolumeSource = scaleIOSource('ScaleIOVolumeSource', LocalObjectReference);

export function storageOSSource(name: string, secretRef: Definition): Definition {
  return def(`${CORE}.${name}`, 'A StorageOS volume (removed driver).', {
    volumeName: str('Volume name within the namespace.'),
    volumeNamespace: str('StorageOS namespace; the pod namespace when empty.'),
    fsType: fsType(),
    readOnly: readOnly(),
    secretRef: ref(secretRef, 'Secret with the API credentials.'),
  });
}
export const StorageOSVolumeSource = storageOSSource('StorageOSVolumeSource', LocalObjectReference);

export const CSIVolumeSource = def(
  `${CORE}.CSIVolumeSource`,
  'An ephemeral volume provided by a CSI driver.',
  {
    driver: str('Name of the CSI driver.', { default: '' }),
    readOnly: bool('Mount read-only. Defaults to false.'),
    fsType: str('Filesystem type; chosen by the driver when empty.'),
    volumeAttributes: map({ type: 'string', default: '' }, 'Driver-specific properties.'),
    nodePublishSecretRef: ref(LocalObjectReference, 'Secret passed to the NodePublishVolume call.'),
  },
  { required: ['driver'] },
);

export const ImageVolumeSource = def(`${CORE}.ImageVolumeSource`, 'The contents of an OCI image or artifact, read-only.', {
  reference: str('Image or artifact reference.'),
  pullPolicy: enumStr('When to pull. Always for :latest, else IfNotPresent.', {
    Always: 'pulls on every pod start',
    IfNotPresent: 'pulls only when missing on the node',
    Never: 'never pulls',
  }),
});

/** Schema properties of the sources both pod volumes and PersistentVolumes may use, by field name. */
export const sharedSources = (): Record<string, Schema> => ({
  gcePersistentDisk: ref(GCEPersistentDiskVolumeSource, 'A GCE persistent disk.'),
  awsElasticBlockStore: ref(AWSElasticBlockStoreVolumeSource, 'An AWS EBS disk.'),
  hostPath: ref(HostPathVolumeSource, 'A path of the node.'),
  nfs: ref(NFSVolumeSource, 'An NFS export.'),
  fc: ref(FCVolumeSource, 'A Fibre Channel disk.'),
  flocker: ref(FlockerVolumeSource, 'A Flocker dataset.'),
  vsphereVolume: ref(VsphereVirtualDiskVolumeSource, 'A vSphere disk.'),
  quobyte: ref(QuobyteVolumeSource, 'A Quobyte volume.'),
  azureDisk: ref(AzureDiskVolumeSource, 'An Azure data disk.'),
  photonPersistentDisk: ref(PhotonPersistentDiskVolumeSource, 'A Photon Controller disk.'),
  portworxVolume: ref(PortworxVolumeSource, 'A Portworx volume.'),
});
