/**
 * Pod volumes (io.k8s.api.core.v1.Volume): a name plus exactly one source. The projected, downward API and
 * ephemeral sources live here; the storage back-ends are in volume-sources.ts.
 */
import { LabelSelector, objectMeta } from '../../meta/schemas.js';
import { arr, bool, def, int32, int64, ref, str } from '../../schema/builder.js';
import type { Definition, Schema } from '../../schema/schema.js';
import { ObjectFieldSelector, ResourceFieldSelector } from './container.js';
import { PersistentVolumeClaimSpec } from './persistent-volume-claim-spec.js';
import {
  AzureFileVolumeSource, CSIVolumeSource, CephFSVolumeSource, CinderVolumeSource, ConfigMapVolumeSource,
  EmptyDirVolumeSource, FlexVolumeSource, GitRepoVolumeSource, GlusterfsVolumeSource, ISCSIVolumeSource,
  ImageVolumeSource, KeyToPath, PersistentVolumeClaimVolumeSource, RBDVolumeSource, ScaleIOVolumeSource,
  SecretVolumeSource, StorageOSVolumeSource, sharedSources,
} from './volume-sources.js';

const CORE = 'io.k8s.api.core.v1';
const item = (d: Definition): Schema => ref(d, undefined, { default: {} });
const keyItems = () => arr(item(KeyToPath), 'Keys to project; all keys when empty.', { listType: 'atomic' });

export const DownwardAPIVolumeFile = def(
  `${CORE}.DownwardAPIVolumeFile`,
  'One file filled with a pod field or a container resource value.',
  {
    path: str('Relative file path; must not contain "..".', { default: '' }),
    fieldRef: ref(ObjectFieldSelector, 'Pod field to write (name, namespace, labels, annotations, uid).'),
    resourceFieldRef: ref(ResourceFieldSelector, 'Container resource value to write.'),
    mode: int32('Permission bits of the file; the volume default when unset.'),
  },
  { required: ['path'] },
);

export const DownwardAPIVolumeSource = def(`${CORE}.DownwardAPIVolumeSource`, 'Pod information exposed as files.', {
  items: arr(item(DownwardAPIVolumeFile), 'Files to create.', { listType: 'atomic' }),
  defaultMode: int32('Permission bits of created files. Defaults to 0644.'),
});

export const SecretProjection = def(`${CORE}.SecretProjection`, 'Secret keys projected into a projected volume.', {
  name: str('Name of the Secret.', { default: '' }),
  items: keyItems(),
  optional: bool('Whether the Secret or its keys may be missing.'),
});

export const ConfigMapProjection = def(`${CORE}.ConfigMapProjection`, 'ConfigMap keys projected into a projected volume.', {
  name: str('Name of the ConfigMap.', { default: '' }),
  items: keyItems(),
  optional: bool('Whether the ConfigMap or its keys may be missing.'),
});

export const DownwardAPIProjection = def(`${CORE}.DownwardAPIProjection`, 'Downward API files in a projected volume.', {
  items: arr(item(DownwardAPIVolumeFile), 'Files to create.', { listType: 'atomic' }),
});

export const ServiceAccountTokenProjection = def(
  `${CORE}.ServiceAccountTokenProjection`,
  'A service account token for the pod, refreshed by the kubelet.',
  {
    audience: str('Intended audience of the token; the API server when empty.'),
    expirationSeconds: int64('Requested token lifetime. Defaults to 1 hour; at least 10 minutes.'),
    path: str('File path of the token, relative to the mount point.', { default: '' }),
  },
  { required: ['path'] },
);

export const ClusterTrustBundleProjection = def(
  `${CORE}.ClusterTrustBundleProjection`,
  'Certificates from ClusterTrustBundle objects written to one file.',
  {
    name: str('Select one bundle by name; exclusive with signerName and labelSelector.'),
    signerName: str('Select bundles of this signer.'),
    labelSelector: ref(LabelSelector, 'Select bundles of the signer by label.'),
    optional: bool('Start the pod even if no bundle matches.'),
    path: str('File path relative to the volume root.', { default: '' }),
  },
  { required: ['path'] },
);

export const VolumeProjection = def(`${CORE}.VolumeProjection`, 'One source of a projected volume.', {
  secret: ref(SecretProjection, 'Secret keys.'),
  downwardAPI: ref(DownwardAPIProjection, 'Downward API files.'),
  configMap: ref(ConfigMapProjection, 'ConfigMap keys.'),
  serviceAccountToken: ref(ServiceAccountTokenProjection, 'A service account token.'),
  clusterTrustBundle: ref(ClusterTrustBundleProjection, 'ClusterTrustBundle certificates.'),
});

export const ProjectedVolumeSource = def(`${CORE}.ProjectedVolumeSource`, 'Several sources merged into one directory.', {
  sources: arr(item(VolumeProjection), 'The sources.', { listType: 'atomic' }),
  defaultMode: int32('Permission bits of created files. Defaults to 0644.'),
});

export const PersistentVolumeClaimTemplate = def(
  `${CORE}.PersistentVolumeClaimTemplate`,
  'Blueprint of the claim created for a generic ephemeral volume.',
  {
    metadata: objectMeta(),
    spec: ref(PersistentVolumeClaimSpec, 'Spec of the claim; copied unchanged.', { default: {} }),
  },
  { required: ['spec'] },
);

export const EphemeralVolumeSource = def(`${CORE}.EphemeralVolumeSource`, 'A claim created and deleted with the pod.', {
  volumeClaimTemplate: ref(PersistentVolumeClaimTemplate, 'Blueprint of the claim, named <pod>-<volume>.'),
});

export { VOLUME_SOURCE_FIELDS } from './volume-source-fields.js';

export const Volume = def(
  `${CORE}.Volume`,
  'A named volume of a pod, mountable by its containers.',
  {
    name: str('Volume name, a DNS label unique in the pod.', { default: '' }),
    ...sharedSources(),
    emptyDir: ref(EmptyDirVolumeSource, 'A scratch directory.'),
    gitRepo: ref(GitRepoVolumeSource, 'A git checkout (deprecated).'),
    secret: ref(SecretVolumeSource, 'A Secret as files.'),
    iscsi: ref(ISCSIVolumeSource, 'An iSCSI disk.'),
    glusterfs: ref(GlusterfsVolumeSource, 'A GlusterFS volume.'),
    persistentVolumeClaim: ref(PersistentVolumeClaimVolumeSource, 'A PersistentVolumeClaim.'),
    rbd: ref(RBDVolumeSource, 'A Ceph RBD image.'),
    flexVolume: ref(FlexVolumeSource, 'A FlexVolume driver volume.'),
    cinder: ref(CinderVolumeSource, 'A Cinder volume.'),
    cephfs: ref(CephFSVolumeSource, 'A CephFS mount.'),
    downwardAPI: ref(DownwardAPIVolumeSource, 'Pod information as files.'),
    azureFile: ref(AzureFileVolumeSource, 'An Azure File share.'),
    configMap: ref(ConfigMapVolumeSource, 'A ConfigMap as files.'),
    projected: ref(ProjectedVolumeSource, 'Several sources in one directory.'),
    scaleIO: ref(ScaleIOVolumeSource, 'A ScaleIO volume.'),
    storageos: ref(StorageOSVolumeSource, 'A StorageOS volume.'),
    csi: ref(CSIVolumeSource, 'An ephemeral CSI volume.'),
    ephemeral: ref(EphemeralVolumeSource, 'A claim that lives as long as the pod.'),
    image: ref(ImageVolumeSource, 'An OCI image or artifact.'),
  },
  { required: ['name'] },
);
