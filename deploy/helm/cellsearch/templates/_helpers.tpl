{{/*
Names, labels and the values several templates share. Every object's name starts with the fullname:
the release name, or <release>-cellsearch when the release name does not contain "cellsearch".
*/}}
{{- define "cellsearch.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "cellsearch.trainerName" -}}
{{- printf "%s-trainer" (include "cellsearch.fullname" .) -}}
{{- end -}}

{{- define "cellsearch.searchName" -}}
{{- printf "%s-search-%s" (include "cellsearch.fullname" .) .Values.search.runName | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "cellsearch.runsName" -}}
{{- printf "%s-runs" (include "cellsearch.fullname" .) -}}
{{- end -}}

{{/* Labels of every object; selectorLabels with a component pick one kind of pod. */}}
{{- define "cellsearch.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{- define "cellsearch.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "cellsearch.trainerSelector" -}}
{{ include "cellsearch.selectorLabels" . }}
app.kubernetes.io/component: trainer
{{- end -}}

{{- define "cellsearch.searchSelector" -}}
{{ include "cellsearch.selectorLabels" . }}
app.kubernetes.io/component: search
{{- end -}}

{{/* The headless Service's DNS name, which nas-ctl re-resolves to find the ready trainer pods. */}}
{{- define "cellsearch.trainerHost" -}}
{{- printf "%s.%s.svc.%s" (include "cellsearch.trainerName" .) .Release.Namespace .Values.clusterDomain -}}
{{- end -}}

{{- define "cellsearch.tlsServerName" -}}
{{- .Values.tls.serverName | default (printf "%s.%s.svc" (include "cellsearch.trainerName" .) .Release.Namespace) -}}
{{- end -}}

{{/* Where the Secrets are mounted; the flags name files below these folders. */}}
{{- define "cellsearch.tokenDir" -}}/var/run/cellsearch/token{{- end -}}
{{- define "cellsearch.tlsDir" -}}/var/run/cellsearch/tls{{- end -}}
{{- define "cellsearch.clientTlsDir" -}}/var/run/cellsearch/client-tls{{- end -}}
{{- define "cellsearch.runsDir" -}}/runs{{- end -}}

{{/* The user the image runs as (USER in deploy/docker/Dockerfile): no root in any container. */}}
{{- define "cellsearch.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "cellsearch.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/* grpc or tcp: the probe type trainer.probes.type asks for, refusing what cannot work. */}}
{{- define "cellsearch.probeType" -}}
{{- $guarded := or .Values.auth.tokenSecret .Values.tls.enabled -}}
{{- $type := .Values.trainer.probes.type -}}
{{- if eq $type "auto" -}}
{{- ternary "tcp" "grpc" (not (not $guarded)) -}}
{{- else if and (eq $type "grpc") $guarded -}}
{{- fail "trainer.probes.type grpc cannot work with auth.tokenSecret or tls.enabled: the kubelet's gRPC probe sends no token and speaks no TLS; use auto or tcp" -}}
{{- else if or (eq $type "grpc") (eq $type "tcp") -}}
{{- $type -}}
{{- else -}}
{{- fail (printf "trainer.probes.type must be auto, grpc or tcp, not %q" $type) -}}
{{- end -}}
{{- end -}}
