{{/* Release-scoped name prefix. */}}
{{- define "assay.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "assay.labels" -}}
app.kubernetes.io/part-of: assay
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one service; call with (dict "root" $ "name" $name). */}}
{{- define "assay.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* The image of one service; call with (dict "root" $ "name" $name). */}}
{{- define "assay.image" -}}
{{- $img := .root.Values.image -}}
{{- $tag := default .root.Chart.AppVersion $img.tag -}}
{{- if $img.registry -}}
{{- printf "%s/%s/%s:%s" $img.registry $img.repository .name $tag -}}
{{- else -}}
{{- printf "%s/%s:%s" $img.repository .name $tag -}}
{{- end -}}
{{- end -}}

{{/*
Every topic of contracts' Topics.ALL with its cleanup policy: name|compacted|kept forever.
The names are the contract, not configuration; a chart test checks them against Topics.ALL.
*/}}
{{- define "assay.topics" -}}
assay.items|true|true
assay.models|true|true
assay.benchmarks|true|true
assay.prompts|false|false
assay.responses|false|false
assay.judgments|false|true
assay.leaderboards|true|true
assay.dead-letters|false|false
assay.answers|true|true
assay.reviews|false|true
{{- end -}}

{{/* Whether the client talks SASL. */}}
{{- define "assay.sasl" -}}
{{- if hasPrefix "SASL_" .Values.kafka.securityProtocol }}true{{ end -}}
{{- end -}}

{{/* Whether the client talks TLS with a custom CA. */}}
{{- define "assay.tlsCa" -}}
{{- if and (has .Values.kafka.securityProtocol (list "SSL" "SASL_SSL")) .Values.kafka.tls.caSecret }}true{{ end -}}
{{- end -}}

{{/* Environment read from Secrets (secretKeyRef): the SASL login. */}}
{{- define "assay.kafkaSecretEnv" -}}
{{- if include "assay.sasl" . -}}
- name: ASSAY_KAFKA_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ required "kafka.sasl.existingSecret is required with a SASL_* securityProtocol" .Values.kafka.sasl.existingSecret }}
      key: {{ .Values.kafka.sasl.usernameKey }}
- name: ASSAY_KAFKA_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.kafka.sasl.existingSecret }}
      key: {{ .Values.kafka.sasl.passwordKey }}
{{- end }}
{{- end -}}

{{/* The JAAS login module of the SASL mechanism. */}}
{{- define "assay.loginModule" -}}
{{- if eq .Values.kafka.sasl.mechanism "PLAIN" -}}
org.apache.kafka.common.security.plain.PlainLoginModule
{{- else -}}
org.apache.kafka.common.security.scram.ScramLoginModule
{{- end -}}
{{- end -}}
